@{
    # The loader, then the cmdlet assembly, in this order: PowerShell imports nested modules one after the other, so the
    # module's private load context is in place (and, on PowerShell 7, the cmdlet assembly's precompiled image loaded)
    # before PowerShell loads and reflects over the cmdlets. Not a RootModule: PowerShell loads a RootModule's assembly
    # before anything else in the manifest, ahead of the loader.
    NestedModules          = @('bin/AwsStepFunctions.Loader.dll', 'bin/AwsStepFunctions.dll')
    ModuleVersion          = '1.0.0'
    GUID                   = '5b0f3a8e-6c1d-4f5e-9a63-2d7c8e41b9f0'
    Author                 = 'AwsStepFunctions contributors'
    CompanyName            = 'AwsStepFunctions contributors'
    Copyright              = '(c) AwsStepFunctions contributors. MIT License.'
    Description            = 'Start, wait for, inspect and stop AWS Step Functions executions; a drop-in for the "AWS Step Functions" Universal Extension with its exit codes.'
    PowerShellVersion      = '5.1'
    CompatiblePSEditions   = @('Desktop', 'Core')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess       = @('AwsStepFunctions.format.ps1xml')
    CmdletsToExport        = @('Start-UeStepFunction', 'Wait-UeStepFunction', 'Get-UeStepFunctionResult', 'Stop-UeStepFunction', 'Restart-UeStepFunction', 'Get-UeStepFunctionExecution', 'Get-UeStepFunctionHistory', 'Get-UeStepFunctionStateMachine', 'Get-UeStepFunctionMapRun', 'Set-UeStepFunctionMapRun')
    FunctionsToExport      = @()
    VariablesToExport      = @()
    AliasesToExport        = @()
    PrivateData            = @{
        PSData = @{
            Tags       = @('AWS', 'StepFunctions', 'UniversalAgent', 'PSEdition_Core', 'PSEdition_Desktop')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
