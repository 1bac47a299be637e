# error: 15:16: Missing key/value separator
job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "exec"

      config {
        command = "/usr/local/bin/api"
      }

      env = {
        LOG_LEVEL = "info"
        REGION "eu-central-1"
      }
    }
  }
}
