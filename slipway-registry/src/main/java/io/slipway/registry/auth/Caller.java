package io.slipway.registry.auth;

import io.slipway.oci.auth.Scope;
import java.util.List;
import java.util.Objects;

/**
 * Who an allowed request came from and what its token grants; the registry passes it back to the
 * {@link Authorizer} to filter the catalog. Immutable.
 *
 * @param principal the user (with groups) or anonymous
 * @param granted the scopes the request's token grants (empty when auth is disabled)
 * @param unrestricted true when no access control applies (auth disabled), so everything is
 *     allowed whatever {@code granted} says
 */
public record Caller(Principal principal, List<Scope> granted, boolean unrestricted) {

  /** The caller of a registry without auth: anonymous, allowed everything. */
  public static final Caller UNRESTRICTED = new Caller(Principal.ANONYMOUS, List.of(), true);

  public Caller {
    Objects.requireNonNull(principal, "principal");
    granted = List.copyOf(granted);
  }
}
