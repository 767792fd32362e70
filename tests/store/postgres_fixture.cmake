# Included by tests/CMakeLists.txt for the store tests: a real PostgreSQL
# server as a CTest fixture (started before the first store test, stopped
# after the last), and the properties the discovered tests need
# (store_discover_properties, passed to doctest_discover_tests).
find_package(PostgreSQL REQUIRED)
set(store_pg_script ${CMAKE_CURRENT_SOURCE_DIR}/store/postgres_fixture.sh)
set(store_pg_state ${CMAKE_CURRENT_BINARY_DIR}/postgres)
target_link_libraries(store_tests PRIVATE PostgreSQL::PostgreSQL)
target_compile_definitions(store_tests PRIVATE AW_PG_FIXTURE_SCRIPT="${store_pg_script}")

add_test(NAME "store: start PostgreSQL" COMMAND bash ${store_pg_script} start ${store_pg_state})
set_tests_properties("store: start PostgreSQL" PROPERTIES FIXTURES_SETUP store_postgres TIMEOUT 120)
add_test(NAME "store: stop PostgreSQL" COMMAND bash ${store_pg_script} stop ${store_pg_state})
set_tests_properties("store: stop PostgreSQL" PROPERTIES FIXTURES_CLEANUP store_postgres TIMEOUT 60)

set(store_discover_properties PROPERTIES FIXTURES_REQUIRED store_postgres
  ENVIRONMENT "AW_TEST_PG_URL_FILE=${store_pg_state}/url")
# chart_rows_test.cpp puts charts through actors::chart_store into the store.
target_link_libraries(store_tests PRIVATE aw_actors)
# ... and starts the real binary twice on one database (tests/support).
target_link_libraries(store_tests PRIVATE aw_test_support)
# ... and checks their event streams (takeover_test.cpp) as the e2e tests do.
target_sources(store_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/e2e/run_helpers.cpp)
add_dependencies(store_tests agentwire)
# ... and runs gateway and worker nodes (takeover_workers_test.cpp), with the
# cluster test's LeakSanitizer suppressions for CAF's remoting.
target_compile_definitions(store_tests PRIVATE
  CAF_REMOTING_SUPPRESSIONS="${CMAKE_CURRENT_SOURCE_DIR}/e2e/caf_remoting_exit.supp")
