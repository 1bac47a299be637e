#include "model/service_registration.h"

#include <fmt/format.h>

namespace caravan::model {

std::string_view ServiceRegistration::status() const {
  bool warning = false;
  for (const ServiceCheckStatus& check : checks) {
    if (check.status == kCheckCritical) return kCheckCritical;
    if (check.status == kCheckWarning) warning = true;
  }
  return warning ? kCheckWarning : kCheckPassing;
}

std::string service_registration_id(std::string_view alloc_id, std::string_view owner,
                                    std::string_view service, std::string_view port_label) {
  return fmt::format("_nomad-task-{}-{}-{}-{}", alloc_id, owner, service, port_label);
}

}  // namespace caravan::model
