package goose.server.http;

/** The one error shape of the API: {@code {"error": {"code": "not_found", "message": "..."}}}. */
public record ApiError(Detail error) {

  public record Detail(
      @Doc("Machine-readable kind of error; switch on this") ErrorCode code,
      @Doc("What went wrong, for people; names the field, parameter or id") String message) {}

  public static ApiError of(ErrorCode code, String message) {
    return new ApiError(new Detail(code, message));
  }
}
