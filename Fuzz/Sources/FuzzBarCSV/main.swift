#if canImport(Glibc)
import Glibc
#endif
import AuroraFuzzTargets
import FuzzDriver

// The entry point: libFuzzer drives the target with the arguments given (corpus folders, -max_total_time, …).
exit(runFuzzer(fuzzBarCSV))
