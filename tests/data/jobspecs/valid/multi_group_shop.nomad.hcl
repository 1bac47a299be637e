# Exercises: a realistic three-group service job (frontend, backend, worker) with per-group counts, networks, services, updates and spreads; replaces the seed-000 nginx port routing.
job "webshop" {
  datacenters = ["dc1", "dc2"]

  update {
    max_parallel     = 1
    min_healthy_time = "10s"
    healthy_deadline = "3m"
    auto_revert      = true
  }

  group "frontend" {
    count = 3

    spread {
      attribute = "${node.datacenter}"
    }

    network {
      port "http" {}
    }

    service {
      name = "webshop-frontend"
      port = "http"
      tags = ["urlprefix-shop.example.com/", "urlprefix-/shop"]

      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "frontend" {
      driver = "docker"

      config {
        image = "registry.example.com/webshop/frontend:8.1.0"
        ports = ["http"]
      }

      env {
        PORT        = "${NOMAD_PORT_http}"
        BACKEND_URL = "http://webshop-backend.service.consul"
      }

      resources {
        cpu    = 200
        memory = 192
      }
    }
  }

  group "backend" {
    count = 2

    update {
      canary       = 1
      auto_promote = false
    }

    network {
      port "api" {}
    }

    service {
      name        = "webshop-backend"
      port        = "api"
      tags        = ["urlprefix-/api/shop strip=/api"]
      canary_tags = ["canary"]

      check {
        type     = "http"
        path     = "/health"
        interval = "5s"
        timeout  = "2s"
      }
    }

    task "backend" {
      driver = "java"

      config {
        jar_path    = "local/backend.jar"
        jvm_options = ["-Xmx512m", "-Dserver.port=${NOMAD_PORT_api}"]
      }

      artifact {
        source      = "https://artifacts.example.com/webshop/backend-8.1.0.jar"
        destination = "local/backend.jar"
        mode        = "file"
      }

      resources {
        cpu    = 800
        memory = 768
      }
    }
  }

  group "mailer" {
    count = 1

    task "mailer" {
      driver = "exec"

      config {
        command = "/opt/webshop/bin/mailer"
      }

      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}
