# Exercises: exec driver with user, env in block form, task meta as a map attribute, ${NOMAD_META_x} and ${NOMAD_ALLOC_ID}, logs with disabled = false.
job "queue-worker" {
  datacenters = ["dc1"]

  group "workers" {
    count = 5

    task "worker" {
      driver = "exec"
      user   = "nobody"

      config {
        command = "/opt/worker/bin/worker"
        args    = ["--queue", "${NOMAD_META_queue}", "--concurrency", "${NOMAD_META_concurrency}"]
      }

      meta = {
        queue       = "emails"
        concurrency = "8"
      }

      env {
        WORKER_ID      = "${NOMAD_ALLOC_ID}"
        AMQP_URL       = "amqp://rabbitmq.service.consul:5672/"
        STATSD_ADDRESS = "127.0.0.1:8125"
      }

      logs {
        disabled      = false
        max_files     = 10
        max_file_size = 20
      }

      resources {
        cpu    = 250
        memory = 128
      }
    }
  }
}
