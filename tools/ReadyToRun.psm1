# ReadyToRun (precompiled) images with the .NET crossgen2 compiler, for the module's build (tools/Build-Module.ps1) and for
# a precompiled pwsh (the test run and the benchmark). crossgen2 and the target runtimes come from NuGet, at the versions
# Directory.Packages.props pins, so the images match the runtime the tests run on.
Set-StrictMode -Version Latest

$RepoRoot = Split-Path -Parent $PSScriptRoot

# The platforms images are made for: the ones the module's loader knows (src/AwsStepFunctions.Loader/ReadyToRunImages.cs).
$ReadyToRunTargets = [ordered]@{ 'linux-x64' = @{ Os = 'linux'; Arch = 'x64' }; 'win-x64' = @{ Os = 'windows'; Arch = 'x64' } }

function Get-ReadyToRunTargets { $ReadyToRunTargets }

function Get-PinnedVersion {
    param([Parameter(Mandatory)][string]$Package)
    [xml]$props = Get-Content -Raw (Join-Path $RepoRoot 'Directory.Packages.props')
    $entry = $props.Project.ItemGroup.PackageVersion | Where-Object Include -eq $Package
    if (-not $entry) { throw "Directory.Packages.props pins no version of $Package" }
    $entry.Version
}

function Get-HostRid {
    $arch = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
    $os = if ($IsWindows -or $PSVersionTable.PSEdition -eq 'Desktop') { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    "$os-$arch"
}

<#
.SYNOPSIS
Downloads (once, into the NuGet cache) crossgen2 for this machine and the target runtimes, through a throwaway project,
so the versions come from Directory.Packages.props and the feed from the usual NuGet configuration. Returns the compiler
and, per target RID, the folder of that runtime's framework assemblies (the references every image is compiled against).
#>
function Get-ReadyToRunCompiler {
    $hostRid = Get-HostRid
    $compilerId = "Microsoft.NETCore.App.Crossgen2.$hostRid"
    $ids = @($compilerId) + @($ReadyToRunTargets.Keys | ForEach-Object { "Microsoft.NETCore.App.Runtime.$_" })
    $downloads = foreach ($id in $ids) { "    <PackageDownload Include=`"$id`" Version=`"[$(Get-PinnedVersion $id)]`" />" }
    $restoreDir = Join-Path $RepoRoot 'artifacts/readytorun/packs'
    New-Item -ItemType Directory -Force $restoreDir | Out-Null
    $project = Join-Path $restoreDir 'ReadyToRunPacks.csproj'
    @(
        '<Project Sdk="Microsoft.NET.Sdk">'
        '  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>'
        '  <ItemGroup>'
        $downloads
        '  </ItemGroup>'
        '</Project>'
    ) | Set-Content -Encoding utf8NoBOM $project
    $output = & dotnet restore $project -nologo -v q 2>&1
    if ($LASTEXITCODE) { throw "restoring $($ids -join ', ') failed: $($output -join ' ')" }
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $packageDir = { param($id) Join-Path $packages "$($id.ToLowerInvariant())/$(Get-PinnedVersion $id)" }
    $compilerDir = Join-Path (& $packageDir $compilerId) 'tools'
    # The pack ships crossgen2 as a single-file executable; a framework-dependent crossgen2.dll runs through dotnet.
    $compiler = @('crossgen2.exe', 'crossgen2') | ForEach-Object { Join-Path $compilerDir $_ } | Where-Object { Test-Path $_ -PathType Leaf } | Select-Object -First 1
    $compilerArguments = @()
    if (-not $compiler -and (Test-Path (Join-Path $compilerDir 'crossgen2.dll'))) {
        $compiler = 'dotnet'
        $compilerArguments = @(Join-Path $compilerDir 'crossgen2.dll')
    }
    if (-not $compiler) { throw "crossgen2 is missing from $compilerDir" }
    $frameworks = @{}
    foreach ($rid in $ReadyToRunTargets.Keys) {
        $frameworks[$rid] = Join-Path (& $packageDir "Microsoft.NETCore.App.Runtime.$rid") "runtimes/$rid/lib/net10.0"
    }
    [pscustomobject]@{ Compiler = $compiler; CompilerArguments = $compilerArguments; Frameworks = $frameworks; HostRid = $hostRid }
}

<#
.SYNOPSIS
Compiles one assembly into a ReadyToRun image for one RID. Every reference stays outside the image's version bubble: the
image remains valid whatever its references become, and the runtime checks every cross-assembly assumption when it loads it.
#>
function Invoke-ReadyToRunCompiler {
    param(
        [Parameter(Mandatory)]$Compiler,
        [Parameter(Mandatory)][string]$Assembly,
        [Parameter(Mandatory)][string]$OutputPath,
        [Parameter(Mandatory)][string]$Rid,
        # Files or globs; the target runtime's framework is always added.
        [string[]]$References = @()
    )
    $target = $ReadyToRunTargets[$Rid]
    if (-not $target) { throw "No ReadyToRun target $Rid (known: $($ReadyToRunTargets.Keys -join ', '))" }
    $arguments = @($Assembly, '-o', $OutputPath, '-O', '--targetos', $target.Os, '--targetarch', $target.Arch)
    foreach ($reference in @("$($Compiler.Frameworks[$Rid])/*.dll") + $References) { $arguments += @('-r', $reference) }
    # Through a response file: PowerShell on Unix expands a wildcard in a native command's argument itself, which turned
    # each "-r dir/*.dll" into one reference and a list of extra inputs (crossgen2 expands the pattern on its own).
    $responseFile = [IO.Path]::GetTempFileName()
    try {
        Set-Content -Encoding utf8NoBOM $responseFile $arguments
        $output = & $Compiler.Compiler @($Compiler.CompilerArguments + "@$responseFile") 2>&1
        if ($LASTEXITCODE) { throw "crossgen2 failed on $Assembly for ${Rid}: $($output -join ' ')" }
    } finally { Remove-Item -Force $responseFile -ErrorAction Ignore }
}

<#
.SYNOPSIS
Whether a file is a managed assembly, and whether it already carries precompiled code (crossgen2 writes its native code
behind the CLI header's ManagedNativeHeader; plain IL has none). Returns 'ReadyToRun', 'IL' or 'NotManaged'.
#>
function Get-AssemblyCodeKind {
    param([Parameter(Mandatory)][string]$Path)
    $stream = [IO.File]::OpenRead($Path)
    try {
        $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
        $cor = $pe.PEHeaders.CorHeader
        if (-not $cor) { 'NotManaged' }
        elseif ($cor.ManagedNativeHeaderDirectory.Size -gt 0) { 'ReadyToRun' }
        else { 'IL' }
    } catch [BadImageFormatException] { 'NotManaged' }
    finally { $stream.Dispose() }
}

<#
.SYNOPSIS
A pwsh whose PowerShell is precompiled (ReadyToRun), the form in which PowerShell's own packages (MSI, zip, deb, rpm,
tar.gz) ship it: their release builds publish ReadyToRun. The one pwsh served here is the pinned .NET tool, whose package
is IL only, so every PowerShell code path it runs waits for the JIT first (a bare start here: about 0.85 s, against about
0.33 s precompiled). Returns this pwsh when it is precompiled already; otherwise a copy of $PSHOME with its IL assemblies
compiled for this machine, made once in artifacts/pwsh-precompiled/ and keyed by the PowerShell version, the compiler
and what was compiled.
#>
function Get-PrecompiledPowerShell {
    param(
        # Compile only these files (a smoke run); the rest of the copy stays IL. Default: every IL assembly.
        [string[]]$Only
    )
    $exeName = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    if ((Get-AssemblyCodeKind (Join-Path $PSHOME 'System.Management.Automation.dll')) -eq 'ReadyToRun') { return (Join-Path $PSHOME $exeName) }
    $rid = Get-HostRid
    if ($rid -notin @($ReadyToRunTargets.Keys)) { throw "No precompiled pwsh for $rid (crossgen2 targets: $(@($ReadyToRunTargets.Keys) -join ', '))" }
    # A partial copy has a folder of its own, so a smoke run never replaces the full copy another run made.
    $destination = Join-Path $RepoRoot "artifacts/pwsh-precompiled/$rid$(if ($Only) { '-partial' })"
    $exe = Join-Path $destination $exeName
    $stamp = Join-Path $destination 'precompiled.key'
    $key = "PowerShell $($PSVersionTable.PSVersion) at $PSHOME; crossgen2 $(Get-PinnedVersion "Microsoft.NETCore.App.Crossgen2.$rid"); only: $(if ($Only) { $Only -join ',' } else { 'all' })"
    if ((Test-Path $stamp) -and (Get-Content -Raw $stamp).Trim() -eq $key -and (Test-Path $exe)) { return $exe }

    $compiler = Get-ReadyToRunCompiler
    if (Test-Path $destination) { Remove-Item -Recurse -Force $destination }
    New-Item -ItemType Directory -Force (Split-Path -Parent $destination) | Out-Null
    Copy-Item -Recurse $PSHOME $destination
    $compiled = 0
    foreach ($file in Get-ChildItem $destination -Filter '*.dll' -File) {
        if ($Only -and $file.Name -notin $Only) { continue }
        if ((Get-AssemblyCodeKind $file.FullName) -ne 'IL') { continue }
        $image = "$($file.FullName).r2r"
        # PowerShell's other assemblies are references (outside the image's bubble), read from the untouched $PSHOME.
        try { Invoke-ReadyToRunCompiler -Compiler $compiler -Assembly (Join-Path $PSHOME $file.Name) -OutputPath $image -Rid $rid -References @("$PSHOME/*.dll") }
        catch { Write-Warning "Precompiled pwsh: $($file.Name) stays IL ($($_.Exception.Message))"; continue }
        Move-Item -Force $image $file.FullName
        $compiled++
    }
    if ($compiled -eq 0) { throw "Precompiled pwsh: nothing in $PSHOME could be compiled" }
    Set-Content -Encoding utf8NoBOM $stamp $key
    $exe
}

Export-ModuleMember -Function Get-ReadyToRunTargets, Get-PinnedVersion, Get-HostRid, Get-ReadyToRunCompiler, Invoke-ReadyToRunCompiler, Get-AssemblyCodeKind, Get-PrecompiledPowerShell
