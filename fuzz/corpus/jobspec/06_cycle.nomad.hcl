locals {
  a = "${local.b}x"
  b = [for s in [local.a] : s]
}
variable "n" {
  type    = number
  default = "x"
  validation {
    condition     = var.n > 1
    error_message = "bad"
  }
}
job "c" {
  group "g" {
    count = local.a
    task "t" {
      driver = "exec"
    }
  }
}
