#include "drivers/unique_fd.h"

#include <unistd.h>

namespace caravan::drivers {

void UniqueFd::reset(int fd) {
  if (fd_ >= 0) {
    ::close(fd_);
  }
  fd_ = fd;
}

}  // namespace caravan::drivers
