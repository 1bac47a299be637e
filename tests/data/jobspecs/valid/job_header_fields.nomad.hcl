# Exercises: job-level fields region, namespace, node_pool, priority, all_at_once, type, datacenters with a glob, plus a two-group job using them.
job "fraud-scoring" {
  region      = "europe"
  namespace   = "risk"
  node_pool   = "compute-optimized"
  datacenters = ["eu-central-1*", "eu-west-1a"]
  type        = "service"
  priority    = 75
  all_at_once = true

  group "scorer" {
    count = 4

    network {
      port "grpc" {}
    }

    service {
      name = "fraud-scorer"
      port = "grpc"

      check {
        type     = "grpc"
        interval = "10s"
        timeout  = "2s"
      }
    }

    task "scorer" {
      driver = "docker"

      config {
        image = "registry.example.com/risk/scorer:12.4.0"
        ports = ["grpc"]
      }

      resources {
        cpu    = 2000
        memory = 3072
      }
    }
  }

  group "feature-cache" {
    count = 1

    task "redis" {
      driver = "docker"

      config {
        image = "redis:7.2-alpine"
      }

      resources {
        cpu    = 250
        memory = 512
      }
    }
  }
}
