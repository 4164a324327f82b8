// OpenSSL's libcrypto (Debian's libssl-dev): only its SHA-256. The plain SHA256_* functions, not
// the EVP interface: both run the same code (the CPU's SHA extensions when it has them), but EVP
// sets up OpenSSL's providers and reads its configuration on first use, about a millisecond at
// the start of every command that writes or checks a log. OpenSSL 3 marks the plain functions
// deprecated without removing them; the mark is silenced here, for this one module.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
