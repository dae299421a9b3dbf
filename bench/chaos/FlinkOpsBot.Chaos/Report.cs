using System.Globalization;
using System.Text;
using System.Text.Json;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Chaos;

/// <summary>The outcome of a chaos run: the Markdown table and the two numbers that must be zero.</summary>
internal sealed record ChaosReport(string Markdown, int Lost, int Duplicates);

internal sealed partial class Harness
{
    private async Task<ChaosReport> BuildReportAsync(TimeSpan chaosStart, bool timedOut, CancellationToken cancellationToken)
    {
        var wall = _clock.Elapsed - chaosStart;
        // Disarm the faults first, so that the harness's own reads are not refused.
        if (_features.AdminApi)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(_simUrl, "_sim/faults"));
                using var response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // reads below retry
            }
        }

        // Every run in storage, and every acknowledged one read by id.
        var stored = new Dictionary<string, Run>(StringComparer.Ordinal);
        string? storageProblem = null;
        try
        {
            foreach (var run in await _runs.ListRecentAsync(100_000, cancellationToken)) stored[run.Id.Value] = run;
            List<string> acknowledged;
            lock (_gate) acknowledged = [.. _acknowledged];
            foreach (var id in acknowledged.Where(id => !stored.ContainsKey(id)))
            {
                if (RunId.TryParse(id, out var runId) && await _runs.GetAsync(runId, cancellationToken) is { } found) stored[id] = found.Value;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            storageProblem = $"Reading the runs from Table Storage failed: {e.Message}";
        }

        List<string> acked;
        lock (_gate) acked = [.. _acknowledged.Order(StringComparer.Ordinal)];
        var lost = new List<string>();
        foreach (var id in acked)
        {
            if (!stored.TryGetValue(id, out var run)) lost.Add($"{id}: acknowledged on stdout, not in Table Storage");
            else if (!run.State.IsSettled()) lost.Add($"{id}: never ended (still {run.State}, last update {run.UpdatedAt:HH:mm:ss})");
        }
        foreach (var run in stored.Values.Where(r => !acked.Contains(r.Id.Value) && !r.State.IsSettled()))
        {
            lost.Add($"{run.Id}: never ended (still {run.State}; created by a command whose answer the kill cut off)");
        }

        int Count(params RunState[] states) => stored.Values.Count(r => states.Contains(r.State));

        // The mutation ledger (FlinkSim --admin), else the weaker check that no job runs twice.
        int? duplicates = null;
        int? mutations = null;
        var duplicateLines = new List<string>();
        if (_features.AdminApi)
        {
            using var ledger = await TryGetAsync("_sim/mutations", cancellationToken, attempts: 5);
            if (ledger is not null)
            {
                mutations = ledger.RootElement.TryGetProperty("mutations", out var m) && m.ValueKind == JsonValueKind.Array ? m.GetArrayLength() : null;
                if (ledger.RootElement.TryGetProperty("duplicates", out var d) && d.ValueKind == JsonValueKind.Array)
                {
                    duplicates = d.GetArrayLength();
                    duplicateLines.AddRange(d.EnumerateArray().Take(20).Select(e => e.GetRawText()));
                }
            }
        }
        var twice = new List<string>();
        var unaccounted = new List<string>();
        using (var overview = await TryGetAsync("jobs/overview", cancellationToken, attempts: 5))
        {
            if (overview is not null)
            {
                // Every job on the cluster is one it started with or one a run recorded submitting (client-chosen JobIDs).
                var recorded = new HashSet<string>(_initialJobIds, StringComparer.OrdinalIgnoreCase);
                foreach (var run in stored.Values)
                {
                    foreach (var key in new[] { RunVars.NewJobId, RunVars.RollbackJobId })
                    {
                        if (run.Vars.GetValueOrDefault(key) is { } jobId) recorded.Add(jobId);
                    }
                }
                unaccounted.AddRange(overview.RootElement.GetProperty("jobs").EnumerateArray()
                    .Where(j => !recorded.Contains(j.GetProperty("jid").GetString()!))
                    .Select(j => $"{j.GetProperty("name").GetString()} {j.GetProperty("jid").GetString()} ({j.GetProperty("state").GetString()})"));
                string[] alive = ["RUNNING", "CREATED", "INITIALIZING", "RESTARTING", "RECONCILING"];
                twice.AddRange(overview.RootElement.GetProperty("jobs").EnumerateArray()
                    .Where(j => alive.Contains(j.GetProperty("state").GetString()))
                    .GroupBy(j => j.GetProperty("name").GetString()!)
                    .Where(g => g.Count() > 1)
                    .Select(g => $"{g.Key} ×{g.Count()}"));
            }
        }

        var md = new StringBuilder();
        var when = _time.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        md.AppendLine(CultureInfo.InvariantCulture, $"### Chaos run, {when}");
        md.AppendLine();
        var drops = _dropsArmed > 0 ? string.Create(CultureInfo.InvariantCulture, $" (operation results dropped {_dropsArmed} times)") : "";
        md.AppendLine(CultureInfo.InvariantCulture,
            $"Seed {_options.Seed}; {_jobs.Count} jobs ({(_features.ExtraJobs ? "FlinkSim --extra-jobs" : "the demo jobs: FlinkSim has no --extra-jobs")}); " +
            $"faults: {_features.FaultsArmed ?? (_features.AdminApi ? "none" : "none (FlinkSim has no --admin API)")}{drops}; " +
            $"Engine__LeaseDuration={_options.Lease.TotalSeconds:0} s; wall time {wall.TotalSeconds:0} s.");
        md.AppendLine();
        md.AppendLine("| outcome | runs |");
        md.AppendLine("|---|---:|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| runs started (in Table Storage; acknowledged on stdout) | {stored.Count} ({acked.Count}) |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| succeeded | {Count(RunState.Succeeded)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| rolled back | {Count(RunState.RolledBack)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| failed cleanly: Failed (the stop failed; job left running as it was) | {Count(RunState.Failed)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| failed cleanly: PreconditionsFailed (nothing touched) | {Count(RunState.PreconditionsFailed)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| ended otherwise (Rejected, Expired, Cancelled, Abandoned) | {Count(RunState.Rejected, RunState.Expired, RunState.Cancelled, RunState.Abandoned)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| parked for a human (AwaitingDecision: a step `Uncertain`; RollbackFailed) | {Count(RunState.AwaitingDecision, RunState.RollbackFailed)} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| **lost** (must be 0) | **{lost.Count}** |");
        var duplicateRow = duplicates is { } dup
            ? string.Create(CultureInfo.InvariantCulture, $"| **duplicated mutating calls** (must be 0) | **{dup}** of {mutations?.ToString(CultureInfo.InvariantCulture) ?? "?"} |")
            : "| **duplicated mutating calls** (must be 0) | not measured: FlinkSim has no `--admin` mutation ledger |";
        md.AppendLine(duplicateRow);
        md.AppendLine(CultureInfo.InvariantCulture, $"| jobs running twice at the end | {twice.Count} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| cluster jobs no run recorded submitting | {unaccounted.Count} |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| host kills (SIGKILL) | {_restarts.Count} |");
        md.AppendLine();
        md.AppendLine("| restart | killed at (s into the chaos) | runs in flight (states) | host ready after (s) | runs progressed after (s) |");
        md.AppendLine("|---:|---:|---|---:|---:|");
        foreach (var r in _restarts)
        {
            var states = r.InFlight.Count == 0 ? "0" : $"{r.InFlight.Count} ({string.Join(", ", r.InFlight.GroupBy(kv => kv.Value).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"))})";
            var recovered = r.RecoveredAfter is { } ok ? Seconds(ok) : r.NotRecovered is { } stuck ? $"not within {RecoveryLimit.TotalSeconds:0} ({stuck.Count} stuck)" : "—";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Number} | {Seconds(r.KilledAt)} | {states} | {Seconds(r.ReadyAfter)} | {recovered} |");
        }
        md.AppendLine();
        md.AppendLine("Recovery: from the restart until every run that was in flight at the kill was written again (or had ended); " +
            "runs waiting at the gate count once the harness re-approved them.");

        var notes = new List<string>();
        if (timedOut) notes.Add($"Not every run ended within --settle {_options.Settle.TotalSeconds:0} s.");
        if (storageProblem is not null) notes.Add(storageProblem);
        if (_storageErrors > 0) notes.Add($"{_storageErrors} poll(s) of Table Storage failed during the chaos (retried).");
        notes.AddRange(lost.Select(l => "Lost: " + l));
        notes.AddRange(duplicateLines.Select(l => "Duplicate: " + l));
        notes.AddRange(twice.Select(t => "Running twice: " + t));
        notes.AddRange(unaccounted.Take(20).Select(u => "Job no run recorded: " + u));
        List<string> refusals;
        lock (_gate) refusals = [.. _refusals];
        if (refusals.Count > 0)
        {
            notes.Add($"{refusals.Count} command(s) refused; the first: " + string.Join(" | ", refusals.Take(5)));
        }
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (var note in notes) md.AppendLine("- " + note);
        }
        // A job running twice, or one no run accounts for, is a repeated submission too (and the only evidence without the ledger).
        return new ChaosReport(md.ToString(), lost.Count, duplicates.GetValueOrDefault() + twice.Count + unaccounted.Count);
    }
}
