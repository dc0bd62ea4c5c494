using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AwsStepFunctions.Core;
using AwsStepFunctions.Internal;

namespace AwsStepFunctions
{
    public abstract partial class UeStepFunctionCmdletBase
    {
        /// <summary>The most one page of ListExecutions or GetExecutionHistory holds.</summary>
        private const int LargestPage = 1000;

        /// <summary>
        /// Writes a paged list (SupportsPaging): page after page until -First items after -Skip are written or the list ends;
        /// with -IncludeTotalCount to its end, to count them all. A page asks for no more than is still wanted, so -First 5
        /// is one request for 5. Each page waits for the one before it (it needs its token), whatever -ThrottleLimit says.
        /// </summary>
        /// <param name="fetch">One page: how many it may hold, the previous page's token (null first).</param>
        /// <param name="activity">The progress bar's activity ("Listing executions"); the bar is drawn from the second page on.</param>
        /// <param name="title">What is being listed, as the bar's status names it.</param>
        /// <param name="noun">What the items are called in the progress bar ("execution(s)").</param>
        /// <param name="written">Called for each item written (before it is).</param>
        /// <param name="judge">The cmdlet's own filter, asked of every item before -Skip and -First count it; null takes them all.</param>
        /// <param name="narrows">Whether judge passes over items before the list's end: pages are then asked for full, since
        /// -First 5 may need more than 5 items read.</param>
        /// <returns>Whether the list was read to its end (or to where judge ended it): not when -First cut it short or a page failed.</returns>
        private protected bool WritePages<TPage, TItem>(Func<int, string?, CancellationToken, Task<TPage>> fetch, Func<TPage, IReadOnlyList<TItem>> itemsOf,
            Func<TPage, string?> nextOf, Invocation invocation, string activity, string title, string noun, string target, Action<TItem>? written = null,
            Func<TItem, ListVerdict>? judge = null, bool narrows = false)
            where TPage : class
        {
            var paging = PagingParameters;
            ulong seen = 0, writtenCount = 0;
            string? nextToken = null;
            var pages = 0;
            var ended = false;
            var progress = NewProgress(activity);
            do
            {
                var wanted = paging.IncludeTotalCount ? LargestPage : PageSizeFor(paging.Skip > seen ? paging.Skip - seen : 0, paging.First - writtenCount);
                if (wanted == 0) break;
                if (narrows) wanted = LargestPage;
                var token = nextToken;
                TPage? page = null;
                RunCall((_, cancellation) => fetch(wanted, token, cancellation), invocation, read => page = read, inline: true);
                FinishCalls();
                // A failed page was written as an error: nothing more of this list.
                if (page == null) break;
                pages++;
                foreach (var item in itemsOf(page))
                {
                    var verdict = judge?.Invoke(item) ?? ListVerdict.Take;
                    // The rest of this page is still judged, since it costs no request: executions started within the same
                    // moment may be listed a little out of order.
                    if (verdict == ListVerdict.End) ended = true;
                    if (verdict is ListVerdict.End or ListVerdict.Pass) continue;
                    if (++seen > paging.Skip && writtenCount < paging.First)
                    {
                        writtenCount++;
                        written?.Invoke(item);
                        WriteObject(item);
                    }
                    if (verdict == ListVerdict.TakeLast) { ended = true; break; }
                }
                nextToken = ended ? null : nextOf(page);
                if (nextToken != null) progress.Write(title, $"{seen:N0} {noun} so far, {pages} page(s)", target);
                else ended = true;
            }
            while (nextToken != null);
            // Closes the bar if a later page drew one; nothing otherwise.
            progress.Complete();
            if (paging.IncludeTotalCount) WriteObject(paging.NewTotalCount(seen, 1.0));
            return ended;
        }

        /// <summary>How many to ask for: those still to skip and still wanted, at most a full page (no overflow at First's
        /// default, UInt64.MaxValue).</summary>
        internal static int PageSizeFor(ulong toSkip, ulong stillWanted)
        {
            if (stillWanted == 0) return 0;
            if (toSkip >= LargestPage || stillWanted >= LargestPage) return LargestPage;
            return (int)Math.Min(LargestPage, toSkip + stillWanted);
        }
    }

    /// <summary>What a listing cmdlet's own filter makes of one item of a page (see WritePages).</summary>
    internal enum ListVerdict
    {
        /// <summary>Counted by -Skip and -First, and written if they let it.</summary>
        Take,
        /// <summary>Not listed: neither counted nor written.</summary>
        Pass,
        /// <summary>Taken, and the last the filter can want: no more pages are read.</summary>
        TakeLast,
        /// <summary>Not listed, and no page after this one is read: the list is ordered, and the rest lies outside the filter.</summary>
        End,
    }
}
