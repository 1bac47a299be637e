# error: 15:26: nope
variable "tag" {
  type    = string
  default = "1.27"
}

job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "nginx:${var.nope}"
      }
    }
  }
}
