"""The platforms a course runs on: Gradescope's autograder zip, GitHub Classroom's workflows."""
