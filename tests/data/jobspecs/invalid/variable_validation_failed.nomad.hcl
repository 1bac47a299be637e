# error: 4:13: must be between 1 and 20
variable "replicas" {
  type    = number
  default = 50

  validation {
    condition     = var.replicas >= 1 && var.replicas <= 20
    error_message = "The replicas value must be between 1 and 20."
  }
}

job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = var.replicas

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
