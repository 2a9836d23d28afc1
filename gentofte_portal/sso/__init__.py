"""Sign-in with the municipality's own OpenID Connect provider (Entra ID, AD FS, a KOMBIT broker): README, "Log ind
med kommunens login"."""
