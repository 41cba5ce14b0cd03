import WagewatchCLI

Wagewatch.runMain()
