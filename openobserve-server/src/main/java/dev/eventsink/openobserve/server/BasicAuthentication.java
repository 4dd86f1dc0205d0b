package dev.eventsink.openobserve.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * OpenObserve's open-source authentication, and its two 401 answers: {@code Authorization: Basic
 * base64(email:secret)} for one user, whose secret is its password or another accepted secret (an ingestion
 * passcode, an {@code o2oi_} token). {@code Bearer} and anything else is refused. Immutable.
 *
 * <pre>{@code
 * BasicAuthentication auth = new BasicAuthentication("root@example.com", "Complexpass#123", List.of());
 * if (auth.check(call.header("Authorization")) != Verdict.ACCEPTED) { auth.refuse(call, verdict); }
 * }</pre>
 */
final class BasicAuthentication {

    /** What a request's {@code Authorization} header amounts to. */
    enum Verdict { ACCEPTED, MISSING, REFUSED }

    private static final byte[] MISSING_BODY =
            "{\"code\":401,\"message\":\"Unauthorized Access\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REFUSED_BODY = "Unauthorized Access".getBytes(StandardCharsets.UTF_8);

    private final String email;
    private final String password;
    private final Set<String> secrets;

    BasicAuthentication(String email, String password, Collection<String> otherSecrets) {
        this.email = email;
        this.password = password;
        Set<String> accepted = new LinkedHashSet<>();
        accepted.add(password);
        accepted.addAll(otherSecrets);
        this.secrets = Set.copyOf(accepted);
    }

    String email() {
        return email;
    }

    String password() {
        return password;
    }

    /** {@code email:password}. */
    String apiKey() {
        return email + ":" + password;
    }

    /** {@code Basic base64(email:password)}. */
    String authorizationHeader() {
        return "Basic " + Base64.getEncoder().encodeToString(apiKey().getBytes(StandardCharsets.UTF_8));
    }

    /** The verdict on an {@code Authorization} header ({@code null} when absent). */
    Verdict check(String header) {
        if (header == null) {
            return Verdict.MISSING;
        }
        String value = header.trim();
        int space = value.indexOf(' ');
        if (space < 0 || !value.substring(0, space).equalsIgnoreCase("Basic")) {
            return Verdict.REFUSED; // Bearer and everything else: OpenObserve's open-source build accepts Basic only
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(space + 1).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Verdict.REFUSED;
        }
        int colon = decoded.indexOf(':');
        boolean accepted = colon > 0 && decoded.substring(0, colon).equals(email)
                && secrets.contains(decoded.substring(colon + 1));
        return accepted ? Verdict.ACCEPTED : Verdict.REFUSED;
    }

    /**
     * Answers a request that was not accepted: no header → 401 JSON {@code {"code":401,"message":"Unauthorized
     * Access"}}; anything else → 401 plain text {@code Unauthorized Access} with
     * {@code WWW-Authenticate: Bearer realm="openobserve"}.
     */
    void refuse(Call call, Verdict verdict) throws IOException {
        if (verdict == Verdict.MISSING) {
            call.answer(401, Call.JSON, MISSING_BODY, Map.of());
        } else {
            call.answer(401, "text/plain; charset=utf-8", REFUSED_BODY,
                    Map.of("WWW-Authenticate", "Bearer realm=\"openobserve\""));
        }
    }
}
