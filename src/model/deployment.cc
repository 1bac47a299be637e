#include "model/deployment.h"

namespace caravan::model {

bool Deployment::requires_promotion() const {
  for (const auto& [name, group] : task_groups) {
    if (group.desired_canaries > 0 && !group.promoted) return true;
  }
  return false;
}

}  // namespace caravan::model
