// Random identifiers: UUID version 4 strings ("9f3c2a1e-...") as Nomad uses for
// node, allocation and evaluation IDs. The bytes come from the kernel's CSPRNG
// (getrandom(2), falling back to /dev/urandom), so IDs are unguessable and can
// double as secrets (a node's SecretID).
#pragma once

#include <string>
#include <string_view>

namespace caravan {

// A new random UUID v4, lowercase "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
// Aborts (CARAVAN_CHECK) only if the kernel has no random source at all.
std::string generate_uuid();

// True for any well-formed UUID text (8-4-4-4-12 hex digits, either case).
bool is_uuid(std::string_view text);

}  // namespace caravan
