# Exercises: lifecycle hooks prestart (init), prestart sidecar, poststart, poststop; leader = true; kill_timeout and kill_signal; task shutdown_delay.
job "wiki" {
  datacenters = ["dc1"]

  group "wiki" {
    network {
      port "http" {}
    }

    task "wait-for-db" {
      driver = "docker"

      lifecycle {
        hook    = "prestart"
        sidecar = false
      }

      config {
        image   = "busybox:1.36"
        command = "sh"
        args    = ["-c", "until nc -z db.service.consul 5432; do sleep 2; done"]
      }
    }

    task "log-shipper" {
      driver = "docker"

      lifecycle {
        hook    = "prestart"
        sidecar = true
      }

      config {
        image = "grafana/promtail:3.0.0"
      }
    }

    task "wiki" {
      driver         = "docker"
      leader         = true
      kill_signal    = "SIGTERM"
      kill_timeout   = "45s"
      shutdown_delay = "5s"

      config {
        image = "requarks/wiki:2.5"
        ports = ["http"]
      }

      resources {
        cpu    = 500
        memory = 512
      }
    }

    task "warm-cache" {
      driver = "docker"

      lifecycle {
        hook = "poststart"
      }

      config {
        image = "curlimages/curl:8.8.0"
        args    = ["--retry", "10", "http://${NOMAD_ADDR_http}/"]
      }
    }

    task "flush-search-index" {
      driver = "docker"

      lifecycle {
        hook = "poststop"
      }

      config {
        image = "registry.example.com/wiki/index-flush:1.0"
      }
    }
  }
}
