# -*- encoding: utf-8 -*-
# stub: fluentd 1.16.5 ruby lib

Gem::Specification.new do |s|
  s.name = "fluentd".freeze
  s.version = "1.16.5"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
  s.require_paths = ["lib".freeze]
  s.authors = ["trowel lab".freeze]
  s.date = "2026-12-07"
  s.description = "A minimal fluentd for the trowel lab: tails files into the forward protocol.".freeze
  s.executables = ["fluentd".freeze]
  s.files = ["bin/fluentd".freeze]
  s.homepage = "https://www.fluentd.org/".freeze
  s.licenses = ["Apache-2.0".freeze]
  s.required_ruby_version = Gem::Requirement.new(">= 2.4".freeze)
  s.rubygems_version = "3.2.5".freeze
  s.summary = "Fluentd event collector (trowel lab stand-in: in_tail and out_forward only)".freeze

  s.installed_by_version = "3.2.5" if s.respond_to? :installed_by_version

  if s.respond_to? :specification_version then
    s.specification_version = 4
  end

  if s.respond_to? :add_runtime_dependency then
    s.add_runtime_dependency(%q<msgpack>.freeze, [">= 1.1.0", "< 2.0.0"])
  else
    s.add_dependency(%q<msgpack>.freeze, [">= 1.1.0", "< 2.0.0"])
  end
end
