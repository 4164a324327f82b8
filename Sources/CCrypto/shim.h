// OpenSSL's libcrypto (Debian's libssl-dev): only its SHA-256, through the EVP interface, which
// picks the CPU's SHA extensions when it has them.
#include <openssl/evp.h>
