# Exercises: docker config with volumes, several mount blocks (bind with bind_options, volume with volume_options, tmpfs with tmpfs_options), logging block with nested config, labels map, hyphenated keys.
job "grafana" {
  datacenters = ["dc1"]

  group "grafana" {
    network {
      port "http" {
        to = 3000
      }
    }

    task "grafana" {
      driver = "docker"

      config {
        image   = "grafana/grafana-oss:11.1.0"
        ports   = ["http"]
        volumes = ["local/provisioning:/etc/grafana/provisioning"]

        mount {
          type     = "bind"
          source   = "/srv/grafana/dashboards"
          target   = "/var/lib/grafana/dashboards"
          readonly = true

          bind_options {
            propagation = "rshared"
          }
        }

        mount {
          type   = "volume"
          source = "grafana-plugins"
          target = "/var/lib/grafana/plugins"

          volume_options {
            no_copy = false

            labels {
              owner = "observability"
            }

            driver_config {
              name = "local"
            }
          }
        }

        mount {
          type   = "tmpfs"
          target = "/tmp/grafana"

          tmpfs_options {
            size = 104857600
            mode = 1777
          }
        }

        logging {
          type = "fluentd"

          config {
            fluentd-address = "localhost:24224"
            tag             = "grafana.${NOMAD_ALLOC_ID}"
          }
        }

        labels = {
          "com.example.team" = "observability"
          "com.example.tier" = "monitoring"
        }
      }

      resources {
        cpu    = 300
        memory = 256
      }
    }
  }
}
