namespace ServerlessReco.Core.Ingestion;

/// <summary>
/// One thing wrong with the input: which element of the batch (null for the body as a whole),
/// which field, and what is wrong with it in words a client developer can act on.
/// </summary>
public sealed record ValidationError(int? Index, string Field, string Message);
