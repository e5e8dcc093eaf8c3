package io.plantmesh.identity.realm;

/**
 * Token and session lifetimes of the realm, in seconds (Keycloak's realm settings of the same names).
 *
 * @param accessTokenLifespanSeconds how long an access token is valid; services renew before expiry
 * @param ssoSessionIdleTimeoutSeconds a login session without activity ends after this long
 * @param ssoSessionMaxLifespanSeconds a login session ends after this long whatever happens
 */
public record TokenLifetimes(int accessTokenLifespanSeconds, int ssoSessionIdleTimeoutSeconds,
        int ssoSessionMaxLifespanSeconds) {

    public TokenLifetimes {
        boolean positive = accessTokenLifespanSeconds > 0 && ssoSessionIdleTimeoutSeconds > 0
                && ssoSessionMaxLifespanSeconds > 0;
        if (!positive) {
            throw new IllegalArgumentException("token lifetimes must be positive, were " + accessTokenLifespanSeconds
                    + ", " + ssoSessionIdleTimeoutSeconds + ", " + ssoSessionMaxLifespanSeconds);
        }
    }
}
