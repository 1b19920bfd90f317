package io.slipway.registry.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.oci.auth.Scope;
import io.slipway.registry.auth.TokenRequest.Credentials;
import io.slipway.registry.auth.TokenRequestException.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The token endpoint as a Jetty core handler the registry server mounts in front of its router:
 *
 * <ul>
 *   <li>{@code GET /token?service=…&scope=…[&offline_token=true]} with {@code Authorization: Basic}
 *       or without credentials (anonymous), answering {@code {"token","access_token","expires_in",
 *       "issued_at"[,"refresh_token"]}} as the docker token specification describes;
 *   <li>{@code POST /token} with an {@code application/x-www-form-urlencoded} OAuth2 form, {@code
 *       grant_type=password} ({@code username}, {@code password}) or {@code
 *       grant_type=refresh_token} ({@code refresh_token}), {@code service}, {@code scope}
 *       (space-separated), {@code client_id} and {@code access_type=offline} for a refresh token.
 * </ul>
 *
 * Requests to other paths are left to the next handler ({@code handle} returns false). Blocking
 * (bcrypt runs on the request's virtual thread), so it declares itself blocking to Jetty. Safe for
 * concurrent use.
 */
public final class TokenHandler extends Handler.Abstract {
  /** Where the endpoint is mounted unless configured otherwise. */
  public static final String DEFAULT_PATH = "/token";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_FORM_BYTES = 64 * 1024;

  private final TokenService service;
  private final String path;

  /** A handler serving {@code service} at {@code path}. */
  public TokenHandler(TokenService service, String path) {
    super(InvocationType.BLOCKING);
    this.service = service;
    this.path = path;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!path.equals(Request.getPathInContext(request))) {
      return false;
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    try {
      switch (request.getMethod()) {
        // GET /token?service=&scope=
        case "GET" -> answerGet(request, response, callback);
        // POST /token (OAuth2 form)
        case "POST" -> answerPost(request, response, callback);
        default -> {
          response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
          send(response, callback, 405, Map.of("errors", List.of(
              Map.of("code", "UNSUPPORTED", "message", "use GET or POST on " + path))));
        }
      }
    } catch (TokenRequestException e) {
      refuse(request, response, callback, e);
    }
    return true;
  }

  private void answerGet(Request request, Response response, Callback callback) throws Exception {
    Fields query = Request.extractQueryParameters(request);
    List<Scope> scopes = scopes(query.getValuesOrEmpty("scope"));
    Credentials credentials = basicCredentials(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    boolean offline = "true".equalsIgnoreCase(query.getValue("offline_token"));
    TokenGrant grant =
        service.issue(new TokenRequest(query.getValue("service"), scopes, credentials, offline,
            Request.getRemoteAddr(request)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token", grant.accessToken());
    body.put("access_token", grant.accessToken());
    body.put("expires_in", grant.expiresIn().toSeconds());
    body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(grant.issuedAt()));
    if (grant.refreshToken() != null) {
      body.put("refresh_token", grant.refreshToken());
    }
    send(response, callback, 200, body);
  }

  private void answerPost(Request request, Response response, Callback callback) throws Exception {
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT)
        .startsWith("application/x-www-form-urlencoded")) {
      throw new TokenRequestException(
          Kind.INVALID_REQUEST, "POST /token takes an application/x-www-form-urlencoded form");
    }
    Fields form;
    try {
      form = FormFields.getFields(request, 100, MAX_FORM_BYTES);
    } catch (RuntimeException e) {
      throw new TokenRequestException(Kind.INVALID_REQUEST, "unreadable form: " + e.getMessage());
    }
    String grantType = form.getValue("grant_type");
    Credentials credentials;
    if ("password".equals(grantType)) {
      String user = form.getValue("username");
      String password = form.getValue("password");
      if (user == null || password == null) {
        throw new TokenRequestException(
            Kind.INVALID_REQUEST, "grant_type=password needs username and password");
      }
      credentials = new Credentials.Password(user, password.toCharArray());
    } else if ("refresh_token".equals(grantType)) {
      String refresh = form.getValue("refresh_token");
      if (refresh == null) {
        throw new TokenRequestException(
            Kind.INVALID_REQUEST, "grant_type=refresh_token needs refresh_token");
      }
      credentials = new Credentials.Refresh(refresh);
    } else {
      throw new TokenRequestException(
          Kind.UNSUPPORTED_GRANT_TYPE,
          "grant_type " + grantType + " is not supported; use password or refresh_token");
    }
    if (form.getValue("client_id") == null) {
      throw new TokenRequestException(Kind.INVALID_REQUEST, "client_id is required");
    }
    List<String> scopeValues = new ArrayList<>();
    for (String value : form.getValuesOrEmpty("scope")) {
      scopeValues.add(value);
    }
    List<Scope> scopes = scopes(scopeValues);
    boolean offline = "offline".equals(form.getValue("access_type"));
    TokenGrant grant =
        service.issue(new TokenRequest(form.getValue("service"), scopes, credentials, offline,
            Request.getRemoteAddr(request)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", grant.accessToken());
    body.put("token_type", "Bearer");
    body.put("expires_in", grant.expiresIn().toSeconds());
    body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(grant.issuedAt()));
    List<String> granted = new ArrayList<>();
    grant.granted().forEach(scope -> granted.add(scope.toString()));
    body.put("scope", String.join(" ", granted));
    if (grant.refreshToken() != null) {
      body.put("refresh_token", grant.refreshToken());
    } else if (credentials instanceof Credentials.Refresh refresh) {
      // RFC 6749 section 6: the client keeps using its refresh token when no new one is issued.
      body.put("refresh_token", refresh.token());
    }
    send(response, callback, 200, body);
  }

  private static List<Scope> scopes(List<String> values) throws TokenRequestException {
    List<Scope> scopes = new ArrayList<>();
    for (String value : values) {
      try {
        scopes.addAll(Scope.parseAll(value));
      } catch (IllegalArgumentException e) {
        throw new TokenRequestException(Kind.INVALID_REQUEST, e.getMessage());
      }
    }
    return scopes;
  }

  private static Credentials basicCredentials(String header) throws TokenRequestException {
    if (header == null) {
      return new Credentials.Anonymous();
    }
    if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new TokenRequestException(
          Kind.INVALID_REQUEST, "the token endpoint takes Basic credentials or none");
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TokenRequestException(Kind.INVALID_REQUEST, "Basic credentials are not base64");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw new TokenRequestException(Kind.INVALID_REQUEST, "Basic credentials need user:password");
    }
    return new Credentials.Password(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray());
  }

  private void refuse(Request request, Response response, Callback callback, TokenRequestException e)
      throws Exception {
    Kind kind = e.kind();
    if (kind == Kind.RATE_LIMITED) {
      response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
    }
    if ("POST".equals(request.getMethod())) {
      // RFC 6749 section 5.2 error body.
      send(response, callback, kind.status(),
          Map.of("error", kind.oauthError(), "error_description", e.getMessage()));
      return;
    }
    if (kind == Kind.INVALID_CREDENTIALS) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
          "Basic realm=\"" + service.settings().service() + "\"");
    }
    String code = switch (kind) {
      case INVALID_CREDENTIALS -> "UNAUTHORIZED";
      case RATE_LIMITED -> "TOOMANYREQUESTS";
      default -> "UNSUPPORTED";
    };
    send(response, callback, kind.status(),
        Map.of("errors", List.of(Map.of("code", code, "message", e.getMessage()))));
  }

  private static void send(Response response, Callback callback, int status, Object body)
      throws Exception {
    byte[] bytes = JSON.writeValueAsBytes(body);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
