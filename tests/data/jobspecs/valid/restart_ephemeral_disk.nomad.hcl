# Exercises: group restart (mode "delay", render_templates), task restart override, ephemeral_disk (size, sticky, migrate), ${NOMAD_ALLOC_DIR}.
job "elasticsearch-cache" {
  datacenters = ["dc1"]

  group "es" {
    count = 3

    restart {
      attempts         = 3
      interval         = "10m"
      delay            = "25s"
      mode             = "delay"
      render_templates = true
    }

    ephemeral_disk {
      size    = 10240
      sticky  = true
      migrate = true
    }

    network {
      port "http" {}
      port "transport" {}
    }

    task "es" {
      driver = "docker"

      restart {
        attempts = 5
        interval = "30m"
        delay    = "10s"
        mode     = "fail"
      }

      config {
        image = "docker.elastic.co/elasticsearch/elasticsearch:8.14.3"
        ports = ["http", "transport"]
        volumes = [
          "${NOMAD_ALLOC_DIR}/data:/usr/share/elasticsearch/data",
        ]
      }

      # Map-attribute form: keys with dots must be quoted, which a block body cannot do.
      env = {
        "discovery.type" = "single-node"
        "http.port"      = "9200"
        ES_JAVA_OPTS     = "-Xms1g -Xmx1g"
      }

      resources {
        cpu    = 1500
        memory = 2048
      }
    }
  }
}
