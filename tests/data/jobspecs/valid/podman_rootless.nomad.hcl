# Exercises: podman driver (image, ports, args, volumes), bridge network, group service with urlprefix host route (from the threadfin/gluetun scenario in seed 001).
job "threadfin" {
  datacenters = ["homelab"]

  group "threadfin" {
    network {
      mode = "bridge"

      port "web" {
        to = 34400
      }
    }

    service {
      name = "threadfin"
      port = "web"
      tags = [
        "urlprefix-threadfin.home.example.com/",
        "traefik.enable=true",
        "traefik.http.routers.threadfin.rule=Host(`threadfin.home.example.com`)",
      ]

      check {
        type     = "http"
        path     = "/web/"
        interval = "30s"
        timeout  = "5s"
      }
    }

    task "threadfin" {
      driver = "podman"
      user   = "1000"

      config {
        image   = "docker.io/fyb3roptik/threadfin:1.2"
        ports   = ["web"]
        args    = ["-port", "34400"]
        volumes = ["/srv/threadfin/conf:/home/threadfin/conf"]
      }

      env {
        TZ = "Europe/Berlin"
      }

      resources {
        cpu    = 200
        memory = 256
      }
    }
  }
}
