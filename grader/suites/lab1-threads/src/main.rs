grader::suite! {}
