require ::File.expand_path('../config/environment',  __FILE__)
run RedmineApp::Application
