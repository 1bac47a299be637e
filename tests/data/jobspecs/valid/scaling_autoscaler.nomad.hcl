# Exercises: group scaling block (min, max, enabled) with an opaque policy {} holding nested labelled blocks, floats and regex-like strings; group count omitted so it defaults to scaling.min.
job "image-resizer" {
  datacenters = ["dc1"]

  group "resizer" {
    # No count: it defaults to scaling.min.
    scaling {
      enabled = true
      min     = 2
      max     = 20

      policy {
        cooldown            = "2m"
        evaluation_interval = "30s"

        check "avg_cpu" {
          source = "nomad-apm"
          query  = "avg_cpu-allocated"

          strategy "target-value" {
            target    = 70.5
            threshold = 0.05
          }
        }

        check "queue_depth" {
          source = "prometheus"
          query  = "sum(rabbitmq_queue_messages{queue=\"resize\"})"

          strategy "threshold" {
            upper_bound = 500
            lower_bound = 100
            delta       = 2
          }
        }
      }
    }

    task "resizer" {
      driver = "docker"

      config {
        image = "registry.example.com/media/resizer:1.9.0"
      }

      resources {
        cpu    = 800
        memory = 512
      }
    }
  }
}
