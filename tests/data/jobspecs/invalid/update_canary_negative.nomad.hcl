# error: 10:22: canary
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = 2

    update {
      max_parallel = 1
      canary       = -1
    }

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
