using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Amazon.Runtime;

namespace AwsStepFunctions.Core
{
    /// <summary>
    /// The credentials a client signs with, marking every failure to get them. Without the mark, a credential_process that
    /// exits non-zero read as an unexpected error (exit 1), an STS refusal of a profile's role as a refusal of the Step
    /// Functions request (a -Wait took it for a denied DescribeStateMachine), and -Debug said "no answer" for a request
    /// that was never sent.
    /// </summary>
    internal sealed class CredentialsSource : AWSCredentials
    {
        private readonly AWSCredentials _inner;
        private readonly TimeSpan _bound;

        /// <param name="bound">
        /// How long getting credentials may take: the SDK's sources have no limit of their own that the module sets (a
        /// credential_process that never exits held a task forever, a silent container endpoint for minutes).
        /// </param>
        public CredentialsSource(AWSCredentials inner, string description, TimeSpan bound)
        {
            _inner = inner;
            Description = description;
            _bound = bound;
        }

        /// <summary>
        /// The session the module renews itself (a role's, web identity's, SSO's, a credential_process's), which a request
        /// refused as expired may mark spent; null for keys that cannot be renewed (given, from the environment or a file).
        /// </summary>
        public SessionCredentials? RenewableSession => _inner as SessionCredentials;

        /// <summary>Where the credentials come from, as -Verbose says it ("profile 'ops'"). Never a secret.</summary>
        public string Description { get; }

        public override DateTime? Expiration
        {
            get => _inner.Expiration;
            set => _inner.Expiration = value;
        }

        public override ImmutableCredentials GetCredentials()
        {
            try
            {
                return _inner.GetCredentials();
            }
            catch (Exception error) when (Marks(error))
            {
                throw Marked(error);
            }
        }

        public override Task<ImmutableCredentials> GetCredentialsAsync()
        {
            Task<ImmutableCredentials> task;
            try
            {
                task = _inner.GetCredentialsAsync();
            }
            catch (Exception error) when (Marks(error))
            {
                throw Marked(error);
            }
            // Warm calls: cached credentials, already complete; no async layer for them.
            return task.Status == TaskStatus.RanToCompletion ? task : Awaited(task);
        }

        private async Task<ImmutableCredentials> Awaited(Task<ImmutableCredentials> task)
        {
            using (var timer = new CancellationTokenSource())
            {
                if (await Task.WhenAny(task, Task.Delay(_bound, timer.Token)).ConfigureAwait(false) != task)
                {
                    // The source goes on in the background (nothing here can stop it); its eventual failure is observed.
                    _ = task.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    // A timeout, as for any request (exit 10): a -Wait goes on polling through it.
                    throw new StepFunctionsFailure(FailureKind.Connection, ExitCode.ConnectionError, "CredentialsTimeout",
                        $"Could not get credentials from {Description} within {_bound.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s "
                        + "(three times request_timeout): the credential source did not answer.", field: "credentials_user")
                    { FromCredentials = true };
                }
                timer.Cancel();
            }
            try
            {
                return await task.ConfigureAwait(false);
            }
            catch (Exception error) when (Marks(error))
            {
                throw Marked(error);
            }
        }

        /// <summary>Cancellation stays cancellation; everything else is marked once.</summary>
        private static bool Marks(Exception error) => !(error is OperationCanceledException) && !(error is CredentialsUnavailableException);

        private Exception Marked(Exception error)
        {
            // The core's own failures (AssumeRole answered without keys) keep their kind and message.
            if (error is StepFunctionsFailure known)
            {
                known.FromCredentials = true;
                return known;
            }
            return new CredentialsUnavailableException(Description, error);
        }
    }

    /// <summary>The credentials could not be had: nothing was sent to Step Functions. The inner exception says why.</summary>
    internal sealed class CredentialsUnavailableException : AmazonClientException
    {
        public CredentialsUnavailableException(string source, Exception inner)
            : base($"Could not get credentials from {source}: {inner.Message}", inner)
        {
            CredentialSource = source;
        }

        /// <summary>Where the credentials were to come from ("profile 'ops'").</summary>
        public string CredentialSource { get; }

        /// <summary>Whether a failure (at any depth) happened while getting credentials.</summary>
        public static bool In(Exception? error)
        {
            for (var current = error; current != null; current = current.InnerException)
                if (current is CredentialsUnavailableException || (current is StepFunctionsFailure failure && failure.FromCredentials))
                    return true;
            return false;
        }

        public static CredentialsUnavailableException? Find(Exception? error)
        {
            for (var current = error; current != null; current = current.InnerException)
                if (current is CredentialsUnavailableException found) return found;
            return null;
        }
    }
}
