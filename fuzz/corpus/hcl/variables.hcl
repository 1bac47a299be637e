variable "image" {
  type    = string
  default = "redis:7"
}
locals {
  name = "cache-${var.name}"
}
