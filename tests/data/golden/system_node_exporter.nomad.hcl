# Exercises: system job, host network with a static port, update with max_parallel/stagger, docker volumes, task-level service with a tcp check.
job "node-exporter" {
  type        = "system"
  datacenters = ["dc1", "dc2", "dc3"]
  priority    = 90

  update {
    max_parallel = 3
    stagger      = "10s"
  }

  group "exporter" {
    network {
      mode = "host"

      port "metrics" {
        static = 9100
      }
    }

    task "node-exporter" {
      driver = "docker"

      config {
        image        = "quay.io/prometheus/node-exporter:v1.8.2"
        network_mode = "host"
        ports        = ["metrics"]
        args         = ["--path.rootfs=/host", "--web.listen-address=:9100"]
        volumes      = ["/:/host:ro,rslave"]
      }

      service {
        name = "node-exporter"
        port = "metrics"
        tags = ["prometheus", "infra"]

        check {
          type     = "tcp"
          interval = "15s"
          timeout  = "3s"
        }
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
