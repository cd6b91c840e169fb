from biblio.cli import main

main()
