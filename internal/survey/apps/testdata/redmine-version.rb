# frozen_string_literal: true

require 'rexml/document'

module Redmine
  # @private
  module VERSION
    MAJOR = 4
    MINOR = 2
    TINY  = 11

    # Branch values:
    # * official release: nil
    # * stable branch:    stable
    # * trunk:            devel
    BRANCH = 'stable'

    ARRAY = [MAJOR, MINOR, TINY, BRANCH].compact.freeze
    STRING = ARRAY.join('.').freeze

    def self.to_a; ARRAY end
    def self.to_s; STRING end
  end
end
