namespace FlinkOpsBot.AzureTables;

/// <summary>
/// A Table Storage request failed for a reason other than a lost conditional write (those surface as Core's
/// <see cref="Core.Storage.ConcurrencyConflictException"/>). Carries the HTTP status and the service's error code,
/// e.g. 403 <c>AuthorizationFailure</c> (wrong key, or the identity lacks the "Storage Table Data Contributor" role),
/// 404 <c>TableNotFound</c> (the tables were not created at start), 400 <c>PropertyValueTooLarge</c>
/// or 413 <c>EntityTooLarge</c>.
/// </summary>
public sealed class TableStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, with the table and keys; never a secret.</param>
    /// <param name="status">The HTTP status the service answered with, or 0 when no answer arrived.</param>
    /// <param name="errorCode">The service's error code (<c>x-ms-error-code</c>), if it sent one.</param>
    /// <param name="innerException">The transport failure behind it, if any.</param>
    public TableStorageException(string message, int status, string? errorCode, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    /// <summary>The HTTP status the service answered with, or 0 when no answer arrived (connection failure, timeout).</summary>
    public int Status { get; }

    /// <summary>The Table service error code, e.g. <c>TableNotFound</c>; null when there was no answer or it had none.</summary>
    public string? ErrorCode { get; }
}
