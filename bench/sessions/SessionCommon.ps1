# Dot-sourced by every benchmark session: the credential from the environment (so no secret is ever on a
# command line), and the ARN out of whatever the module's output object carries.

function New-BenchCredential {
    if (-not $env:AWS_ACCESS_KEY_ID -or -not $env:AWS_SECRET_ACCESS_KEY) { throw 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set for a benchmark session' }
    # NetworkCredential rather than ConvertTo-SecureString, which would autoload Microsoft.PowerShell.Security: the session's
    # first module import pays PowerShell's one-time import costs, and the import section measures ours as that first one.
    [pscredential]::new($env:AWS_ACCESS_KEY_ID, [System.Net.NetworkCredential]::new('', $env:AWS_SECRET_ACCESS_KEY).SecurePassword)
}

function Get-OutputExecutionArn {
    param([Parameter(Mandatory)]$Output)
    $arn = $Output.result.ExecutionArn
    if (-not $arn) { throw "The module's output carries no result.ExecutionArn: $($Output | ConvertTo-Json -Depth 5 -Compress)" }
    $arn
}

function Write-SessionResult {
    param([Parameter(Mandatory)]$Result)
    # The orchestrator reads the last line of output as the session's result.
    $Result | ConvertTo-Json -Depth 6 -Compress
}

function Get-SessionMedian {
    param([Parameter(Mandatory)][double[]]$Values)
    $sorted = [double[]]($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}
