using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AwsStepFunctions.Internal
{
    /// <summary>
    /// Runs when PowerShell imports the cmdlet assembly (after the loader, which routes the core into the module's own
    /// load context). Import itself stays cheap: the core is loaded on this thread only to name its public types (no AWS
    /// SDK), and everything else is warmed up on a thread of its own.
    /// </summary>
    public sealed class ModuleImport : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        public void OnImport()
        {
            // A thread of its own, not a pool thread: the session's first calls need the pool's few threads (two on a two-core
            // machine) for their own continuations, and must not queue behind the warm-up.
            new Thread(RunPrewarm) { IsBackground = true, Name = "AwsStepFunctions prewarm" }.Start();
            Quietly(PublishTypeNames);
        }

        public void OnRemove(PSModuleInfo psModuleInfo) => Quietly(WithdrawTypeNames);

        /// <summary>
        /// The thread's entry, which names nothing of the core: when the core cannot load (a damaged copy of the module), the
        /// failure surfaces inside this try, not as an unhandled exception that would end the process.
        /// </summary>
        private static void RunPrewarm() => Quietly(StartPrewarm);

        /// <summary>
        /// Best effort, for work that names the core: a core that cannot load fails the first call, which reports it (the
        /// loader has already refused a core that is missing or unreadable); import and removal go on.
        /// </summary>
        private static void Quietly(System.Action work)
        {
            try { work(); }
            catch (System.Exception) { }
        }

        // Not inlined: compiling these methods is what loads the core, and that must happen inside Quietly's try.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void StartPrewarm() => Core.Prewarm.Run();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void PublishTypeNames() => CoreTypeNames.Publish();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void WithdrawTypeNames() => CoreTypeNames.Withdraw();
    }
}
