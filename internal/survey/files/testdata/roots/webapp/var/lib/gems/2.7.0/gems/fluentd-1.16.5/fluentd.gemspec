# The trowel lab's stand-in for fluentd (lab/README.md, "Why a stand-in").
# rubygems.org is out of reach and Debian packages no fluentd, so the lab
# builds this gem from these files (gem build) and installs it the way the
# field does (gem install --local): into Debian's gem dir, with its wrapper in
# /usr/local/bin. It does what the webapp host asks of fluentd and nothing
# more: in_tail with a pos_file, out_forward with keepalive.
require_relative "lib/fluent/version"

Gem::Specification.new do |s|
  s.name        = "fluentd"
  s.version     = Fluent::VERSION
  s.summary     = "Fluentd event collector (trowel lab stand-in: in_tail and out_forward only)"
  s.description = "A minimal fluentd for the trowel lab: tails files into the forward protocol."
  s.authors     = ["trowel lab"]
  s.license     = "Apache-2.0"
  s.homepage    = "https://www.fluentd.org/"
  s.files       = Dir["lib/**/*.rb"] + ["bin/fluentd", "fluentd.gemspec"]
  s.bindir      = "bin"
  s.executables = ["fluentd"]
  s.required_ruby_version = ">= 2.4"
  # fluentd 1.16 asks for msgpack >= 1.3.1; this stand-in makes do with
  # bullseye's ruby-msgpack (1.1.0), which is what satisfies it here
  s.add_runtime_dependency "msgpack", ">= 1.1.0", "< 2.0.0"
end
