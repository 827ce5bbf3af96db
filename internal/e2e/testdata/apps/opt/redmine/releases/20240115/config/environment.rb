require File.expand_path('../application', __FILE__)
Rails.application.initialize!
