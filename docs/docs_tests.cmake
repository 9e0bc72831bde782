# Documentation checks (label `unit`): every relative Markdown link of README.md, CHANGELOG.md and
# the *.md files under docs/, synth/ and examples/ resolves inside the repository, and the checker
# itself is proven able to fail (--self-test: a temporary tree with a broken link must be reported).
# Included from the top-level CMakeLists.txt: include(docs/docs_tests.cmake)
find_package(Python3 COMPONENTS Interpreter REQUIRED)

add_test(NAME docs_relative_links_resolve
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/ci/check_links.py ${PROJECT_SOURCE_DIR})
add_test(NAME docs_link_checker_catches_a_broken_link
         COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/ci/check_links.py --self-test)
set_tests_properties(docs_relative_links_resolve docs_link_checker_catches_a_broken_link PROPERTIES LABELS unit)
