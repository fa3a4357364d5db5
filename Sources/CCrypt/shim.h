#ifndef LEAKWARD_CCRYPT_SHIM_H
#define LEAKWARD_CCRYPT_SHIM_H
// libxcrypt's reentrant crypt (crypt_rn with a caller-owned struct crypt_data): bcrypt,
// sha256crypt, sha512crypt, md5crypt and yescrypt, to test a password hash against the short
// list of well-known default passwords (Sources/LeakwardFindings/PasswordHashVerifier.swift).
#include <crypt.h>
#endif
