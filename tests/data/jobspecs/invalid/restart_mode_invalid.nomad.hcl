# error: 10:18: mode
job "api" {
  datacenters = ["dc1"]

  group "api" {
    restart {
      attempts = 3
      interval = "5m"
      delay    = "15s"
      mode     = "sometimes"
    }

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
