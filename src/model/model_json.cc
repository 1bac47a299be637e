#include "model/model_json.h"

#include <fmt/format.h>

#include "model/internal/cluster_fields.h"
#include "model/internal/json_codec.h"

namespace caravan::model {

template <class T>
nlohmann::ordered_json to_json(const T& value) {
  return internal::to_json_value(value);
}

template <class T>
void append_msgpack(std::string& out, const T& value, std::string_view omit, size_t extra) {
  MsgpackWriter writer(out);
  internal::write_msgpack_object(writer, value, omit, extra);
}

template <class T>
Result<T> from_json(const nlohmann::json& json, std::string_view root) {
  T value{};
  internal::JsonDecoder decoder(std::string(root), nullptr);
  try {
    decoder.read(json, value);
  } catch (const nlohmann::json::exception& e) {  // a bug in the decoder's type checks
    return internal_error(fmt::format("decoding {} from JSON: {}", root, e.what()));
  }
  if (!decoder.ok()) return decoder.status();
  return value;
}

#define CARAVAN_MODEL_JSON(T)                                                                  \
  template nlohmann::ordered_json to_json<T>(const T& value);                                  \
  template void append_msgpack<T>(std::string & out, const T& value, std::string_view omit,    \
                                  size_t extra);                                               \
  template Result<T> from_json<T>(const nlohmann::json& json, std::string_view root);

CARAVAN_MODEL_JSON(Job)
CARAVAN_MODEL_JSON(Node)
CARAVAN_MODEL_JSON(Allocation)
CARAVAN_MODEL_JSON(Evaluation)
CARAVAN_MODEL_JSON(AllocMetric)
CARAVAN_MODEL_JSON(TaskState)
CARAVAN_MODEL_JSON(TaskEvent)
CARAVAN_MODEL_JSON(DesiredUpdates)
CARAVAN_MODEL_JSON(PlanAnnotations)
CARAVAN_MODEL_JSON(DrainStrategy)
CARAVAN_MODEL_JSON(DrainMetadata)
CARAVAN_MODEL_JSON(DriverInfo)
CARAVAN_MODEL_JSON(ServiceRegistration)
CARAVAN_MODEL_JSON(Deployment)
CARAVAN_MODEL_JSON(DeploymentStatusUpdate)

#undef CARAVAN_MODEL_JSON

}  // namespace caravan::model
