using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Engine;

/// <summary>How a job was submitted: the <c>POST /jars/:jarid/run</c> parameters that matter to the simulation.</summary>
internal sealed record JobSubmission(
    int Parallelism,
    IReadOnlyList<string> ProgramArgs,
    RestorePoint? RestoreFrom,
    bool AllowNonRestoredState,
    string ClaimMode);

/// <summary>One entry of a job's exception history.</summary>
internal sealed record JobFailure(JavaException Error, DateTimeOffset At, string TaskName, string Endpoint, string TaskManagerId);

/// <summary>
/// One simulated job and its lifecycle, in Flink's order: INITIALIZING → CREATED → (slots) → RUNNING, periodic
/// checkpoints while RUNNING, failures and restarts (fixed-delay strategy), savepoints, stop (FINISHED) and cancel.
/// Every change happens at the simulated time of the event that causes it. Used under the simulation's lock.
/// </summary>
internal sealed class Job
{
    private readonly Simulation _sim;
    private readonly Dictionary<string, DateTimeOffset> _entered = new(StringComparer.Ordinal);
    private readonly List<JobFailure> _exceptions = [];
    private readonly List<string> _savepoints = [];
    private readonly List<(SavepointOperation Operation, CheckpointRecord Record)> _pendingSavepoints = [];
    private CheckpointRecord? _pendingCheckpoint;
    private CheckpointRecord? _retainedCheckpoint;
    private long _lastCheckpointId;

    // Bumped on every status change: an event scheduled under an older status no longer applies.
    private int _generation;

    public Job(Simulation sim, string jobId, string name, SimJar jar, JobSubmission submission, TimeSpan checkpointInterval)
    {
        _sim = sim;
        JobId = jobId;
        Name = name;
        Jar = jar;
        Submission = submission;
        CheckpointInterval = checkpointInterval;
        Graph = JobGraph.For(name, jobId, submission.Parallelism);
        Handle = new SimJob(sim, this);
        _lastCheckpointId = submission.RestoreFrom?.CheckpointId ?? 0;
    }

    public string JobId { get; }
    public string Name { get; }
    public SimJar Jar { get; }
    public JobSubmission Submission { get; }
    public int Parallelism => Submission.Parallelism;
    public TimeSpan CheckpointInterval { get; }
    public JobGraph Graph { get; }
    public SimJob Handle { get; }
    public string Status { get; private set; } = JobStatus.Initializing;
    public int RestartCount { get; private set; }
    public CheckpointStats Checkpoints { get; } = new();

    /// <summary>
    /// The CMF application whose cluster runs the job (<see cref="Cmf.JobScope"/>), <c>null</c> for a job of the plain
    /// Flink cluster. Such a job is listed only through its application's proxy, and its own cluster gives it slots.
    /// </summary>
    public string? CmfScope { get; set; }

    /// <summary>Whether the job holds task slots: from its first RUNNING until it terminates.</summary>
    public bool HoldsSlots { get; private set; }

    /// <summary>Whether the job is CREATED and waits for enough free slots to run.</summary>
    public bool WaitingForSlots { get; private set; }

    /// <summary>Submission time (Flink: the INITIALIZING timestamp).</summary>
    public DateTimeOffset StartTime => _entered[JobStatus.Initializing];

    public DateTimeOffset? EndTime { get; private set; }

    /// <summary>When the job last changed status.</summary>
    public DateTimeOffset LastModified => _entered.Values.Max();

    /// <summary>Newest first.</summary>
    public IReadOnlyList<JobFailure> Exceptions => _exceptions;

    /// <summary>Paths of the savepoints the job completed, oldest first.</summary>
    public IReadOnlyList<string> SavepointLocations => _savepoints;

    private FlinkSimOptions Options => _sim.Options;
    private DateTimeOffset Now => _sim.Scheduler.Now;

    /// <summary>When the job last entered <paramref name="status"/>, if it ever did.</summary>
    public DateTimeOffset? EnteredAt(string status) => _entered.TryGetValue(status, out var at) ? at : null;

    /// <summary>A freshly submitted job: INITIALIZING, then CREATED, then RUNNING once there are slots.</summary>
    public void Submit()
    {
        SetStatus(JobStatus.Initializing);
        var half = Options.JobStartDuration / 2;
        After(half, () =>
        {
            SetStatus(JobStatus.Created);
            After(half, () =>
            {
                if (_sim.FreeSlots >= Parallelism) Run(Submission.RestoreFrom);
                else WaitingForSlots = true;
            });
        });
    }

    /// <summary>Runs a job that waited for slots, now that there are enough.</summary>
    public void RunWithFreedSlots() => Run(Submission.RestoreFrom);

    /// <summary>
    /// A job that has been RUNNING for <paramref name="uptime"/>, with its last checkpoints completed at its
    /// checkpoint interval (the newest half an interval ago).
    /// </summary>
    public void SeedRunning(TimeSpan uptime)
    {
        var started = Now - uptime;
        _entered[JobStatus.Initializing] = started;
        _entered[JobStatus.Created] = started + Options.JobStartDuration / 2;
        _entered[JobStatus.Running] = started + Options.JobStartDuration;
        Status = JobStatus.Running;
        HoldsSlots = true;

        var seeded = (int)Math.Min(CheckpointStats.HistorySize, uptime / CheckpointInterval);
        _lastCheckpointId = (long)(uptime / CheckpointInterval) - seeded;
        for (var k = seeded; k >= 1; k--)
        {
            var completedAt = Now - (k - 0.5) * CheckpointInterval;
            var record = BeginCheckpoint(CheckpointKind.Checkpoint, null, completedAt - Options.CheckpointDuration);
            CompleteCheckpoint(record, completedAt);
        }
        ScheduleBehaviour(restored: false);
        var lastTrigger = _retainedCheckpoint?.TriggeredAt ?? Now - CheckpointInterval;
        ScheduleNextCheckpoint(lastTrigger);
    }

    /// <summary>
    /// PATCH /jobs/:jobid?mode=cancel. Returns the terminal status that prevents it, or <c>null</c> if accepted.
    /// <paramref name="record"/>: whether it goes to the mutation ledger as a cancel of its own (not for the cancel
    /// that ends a cancel-with-savepoint, which is recorded as that).
    /// </summary>
    public string? Cancel(bool record = true)
    {
        if (Status is JobStatus.Finished or JobStatus.Failed) return Status;
        if (Status is JobStatus.Cancelling or JobStatus.Canceled) return null;
        WaitingForSlots = false;
        SetStatus(JobStatus.Cancelling);
        if (record) _sim.Mutations.Add(new SimMutation(SimMutationKind.Cancel, JobId, null, null, null, Now));
        After(Options.CancelDuration, () => Terminate(JobStatus.Canceled));
        return null;
    }

    /// <summary>
    /// Takes a savepoint for <paramref name="operation"/> into <paramref name="directory"/>; on success a stop ends
    /// the job FINISHED and <paramref name="cancelJob"/> cancels it. <paramref name="injectedFailure"/> makes it fail.
    /// </summary>
    public void TakeSavepoint(SavepointOperation operation, string directory, string format, bool cancelJob, string? injectedFailure)
    {
        if (Status != JobStatus.Running)
        {
            var task = $"{Graph.Vertices[0].Name} (1/{Parallelism})";
            operation.Fail(Now, FlinkExceptions.AsOperationFailure(FlinkExceptions.NotAllTasksRunning(JobId, task)));
            return;
        }

        var stop = operation.Kind is SavepointOperationKind.Stop;
        var record = BeginCheckpoint(stop ? CheckpointKind.SyncSavepoint : CheckpointKind.Savepoint, format, Now);
        _pendingSavepoints.Add((operation, record));
        After(Options.SavepointDuration, () =>
        {
            _pendingSavepoints.Remove((operation, record));
            if (injectedFailure is not null)
            {
                Checkpoints.Fail(record, Now, injectedFailure);
                operation.Fail(Now, FlinkExceptions.AsOperationFailure(FlinkExceptions.CheckpointFailed(injectedFailure)));
                return;
            }

            var location = $"{directory.TrimEnd('/')}/savepoint-{JobId[..6]}-{_sim.Ids.NewHex(12)}";
            var size = StateSize(record.Id);
            Checkpoints.Complete(record, Now, location, size, size);
            _sim.AddRestorePoint(new RestorePoint(record.Id, IsSavepoint: true, location, JobId, Name));
            _savepoints.Add(location);
            operation.Succeed(Now, location);
            _sim.Mutations.SavepointWritten(operation, location);
            if (stop) Terminate(JobStatus.Finished);
            else if (cancelJob) Cancel(record: false);
        });
    }

    private void Run(RestorePoint? restoreFrom)
    {
        WaitingForSlots = false;
        HoldsSlots = true;
        SetStatus(JobStatus.Running);
        if (restoreFrom is not null)
        {
            Checkpoints.Restore(new RestoreRecord(restoreFrom.CheckpointId, Now, restoreFrom.IsSavepoint, restoreFrom.Path));
        }
        ScheduleBehaviour(restored: restoreFrom is not null);
        if (_sim.Faults.InRestartLoop(JobId)) StartRestartLoop();
        ScheduleNextCheckpoint(Now);
    }

    /// <summary>
    /// While the job's restart loop is armed: fails the RUNNING job soon (before its next checkpoint completes) with
    /// a sink's connection error; it restarts after the restart delay however many restarts it had, and fails again.
    /// </summary>
    public void StartRestartLoop() => After(FailsAfter, () =>
    {
        if (_sim.Faults.InRestartLoop(JobId)) Fail(FlinkExceptions.SinkConnectionFailure(Jar.EntryClass));
    });

    // Soon after RUNNING, and before half a checkpoint interval, so that a failing job never completes a checkpoint.
    private TimeSpan FailsAfter => TimeSpan.FromTicks(Math.Min(Options.FaultyJobFailsAfter.Ticks, CheckpointInterval.Ticks / 2));

    private void ScheduleBehaviour(bool restored)
    {
        switch (Jar.Behavior)
        {
            case JarBehavior.FailsOnRestore when restored:
                After(TimeSpan.Zero, () => Fail(FlinkExceptions.StateRestoreFailure(Jar.EntryClass)));
                break;
            case JarBehavior.FailsAfterStart:
                After(FailsAfter, () => Fail(FlinkExceptions.UserFunctionFailure(Jar.EntryClass)));
                break;
        }
    }

    private void Fail(JavaException error)
    {
        var taskManager = 1 + (RestartCount % Options.TaskManagers);
        var subtask = 1 + (RestartCount % Parallelism);
        _exceptions.Insert(0, new JobFailure(
            error, Now, $"{Graph.ProcessVertex.Name} ({subtask}/{Parallelism})#{RestartCount}",
            $"flink-taskmanager-{taskManager}.flink.svc:6121", $"flink-taskmanager-{taskManager}"));

        if (RestartCount < Options.RestartAttempts || _sim.Faults.InRestartLoop(JobId))
        {
            RestartCount++;
            SetStatus(JobStatus.Restarting);
            After(Options.RestartDelay, () => Run(FailoverRestorePoint()));
            return;
        }
        SetStatus(JobStatus.Failing);
        Terminate(JobStatus.Failed);
    }

    // A failover restores the latest retained checkpoint, or else what the job was started from.
    private RestorePoint? FailoverRestorePoint() =>
        _retainedCheckpoint is { } checkpoint
            ? new RestorePoint(checkpoint.Id, IsSavepoint: false, checkpoint.ExternalPath!)
            : Submission.RestoreFrom;

    private void Terminate(string status)
    {
        SetStatus(status);
        EndTime = Now;
        HoldsSlots = false;
        if (status == JobStatus.Finished && _retainedCheckpoint is { } retained)
        {
            // Retained checkpoints are kept on cancellation and failure only; a finished job cleans them up.
            retained.Discarded = true;
            _sim.RemoveRestorePoint(retained.ExternalPath!);
        }
        _sim.SlotsReleased();
    }

    private void SetStatus(string status)
    {
        if (Status == JobStatus.Running && status != JobStatus.Running) AbortPendingSnapshots();
        Status = status;
        _entered[status] = Now;
        _generation++;
    }

    private void AbortPendingSnapshots()
    {
        var suspending = FlinkExceptions.CoordinatorSuspending();
        if (_pendingCheckpoint is { } checkpoint) Checkpoints.Fail(checkpoint, Now, suspending.Message);
        _pendingCheckpoint = null;
        foreach (var (operation, record) in _pendingSavepoints)
        {
            Checkpoints.Fail(record, Now, suspending.Message);
            operation.Fail(Now, FlinkExceptions.AsOperationFailure(suspending));
        }
        _pendingSavepoints.Clear();
    }

    private void ScheduleNextCheckpoint(DateTimeOffset lastTrigger)
    {
        var due = lastTrigger + CheckpointInterval;
        After(due > Now ? due - Now : TimeSpan.Zero, () =>
        {
            var record = BeginCheckpoint(CheckpointKind.Checkpoint, null, Now);
            _pendingCheckpoint = record;
            After(Options.CheckpointDuration, () =>
            {
                _pendingCheckpoint = null;
                if (_sim.Faults.CheckpointFailure(JobId) is { } message) Checkpoints.Fail(record, Now, message);
                else CompleteCheckpoint(record, Now);
                ScheduleNextCheckpoint(record.TriggeredAt);
            });
        });
    }

    private CheckpointRecord BeginCheckpoint(CheckpointKind kind, string? savepointFormat, DateTimeOffset at)
    {
        var record = new CheckpointRecord(++_lastCheckpointId, kind, savepointFormat, at, Graph.Subtasks);
        Checkpoints.Begin(record);
        return record;
    }

    // A completed checkpoint is retained (externalized) and subsumes the one retained before it.
    private void CompleteCheckpoint(CheckpointRecord record, DateTimeOffset at)
    {
        var path = $"{Options.CheckpointDirectory.TrimEnd('/')}/{JobId}/chk-{record.Id}";
        var size = StateSize(record.Id);
        Checkpoints.Complete(record, at, path, size, size / 8);
        if (_retainedCheckpoint is { } previous)
        {
            previous.Discarded = true;
            _sim.RemoveRestorePoint(previous.ExternalPath!);
        }
        _retainedCheckpoint = record;
        _sim.AddRestorePoint(new RestorePoint(record.Id, IsSavepoint: false, path, JobId, Name));
    }

    // State grows by 8 KiB per checkpoint from a per-application base of 64 to 576 MiB.
    private long StateSize(long checkpointId) =>
        (64L << 20) + SimIds.StableNumber(Name) % (512L << 20) + checkpointId * (8L << 10);

    private void After(TimeSpan delay, Action action)
    {
        var generation = _generation;
        _sim.Scheduler.After(delay, () =>
        {
            if (_generation == generation) action();
        });
    }
}
