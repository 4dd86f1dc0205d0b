/**
 * Not public API: helpers of the SDK's own packages, which may change or disappear in any release. No other
 * module uses them (a test checks the compiled classes), and this package depends on no other package of the SDK.
 */
package dev.eventsink.internal;
