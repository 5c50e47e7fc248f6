from ratsinfo.cli import main

main()
