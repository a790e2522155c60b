from exportguard.cli import main

main()
