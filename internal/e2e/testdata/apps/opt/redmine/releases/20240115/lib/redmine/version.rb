# frozen_string_literal: true

require 'rexml/document'

module Redmine
  # @private
  module VERSION
    MAJOR = 4
    MINOR = 2
    TINY  = 11

    # Branch values:
    # * stable  - released version
    # * devel   - stable development version
    BRANCH = 'stable'
  end
end
